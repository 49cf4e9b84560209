/**
 * The fixed facts of the demo UPTD Logam Purbalingga: machine types, machines with their rules
 * and tariffs, the IKMs of the knalpot cluster, staff, and the Indonesian words the generated
 * history is written with. Everything random is derived from these in plan.ts.
 */
import type { OperatorMode, WeeklyHours } from "../../app/scheduling/types";

export type TypeCode =
  | "PRESS"
  | "PLATING"
  | "CNC_LATHE"
  | "CNC_MILL"
  | "BENDING"
  | "CUTTING"
  | "WELDING"
  | "SANDBLAST"
  | "POWDER";

export interface MachineTypeSpec {
  code: TypeCode;
  name: string;
  description: string;
}

export const MACHINE_TYPES: readonly MachineTypeSpec[] = [
  { code: "PRESS", name: "Mesin Press Hidrolik", description: "Pembentukan plat: bodi, tutup dan flange knalpot." },
  { code: "PLATING", name: "Lini Elektroplating", description: "Pelapisan nikel dan krom untuk knalpot dan suku cadang." },
  { code: "CNC_LATHE", name: "Mesin Bubut CNC", description: "Pembubutan presisi poros, bushing dan nepel." },
  { code: "CNC_MILL", name: "Mesin Frais CNC", description: "Pengefraisan cetakan, flange dan dudukan." },
  { code: "BENDING", name: "Mesin Tekuk Plat", description: "Penekukan plat baja dan stainless." },
  { code: "CUTTING", name: "Pemotong Plasma/Laser", description: "Pemotongan pola plat dengan plasma CNC." },
  { code: "WELDING", name: "Las TIG/MIG", description: "Pengelasan baja, stainless dan aluminium." },
  { code: "SANDBLAST", name: "Sandblasting", description: "Pembersihan karat dan kerak sebelum pelapisan." },
  { code: "POWDER", name: "Powder Coating", description: "Pengecatan serbuk dan pemanggangan di oven." },
];

/** Rule columns a machine may set; anything left out stays null (= the facility default). */
export interface MachineRuleOverrides {
  min_minutes?: number;
  max_minutes?: number;
  buffer_minutes?: number;
  notice_minutes?: number;
  weekly_quota_minutes?: number;
  billing_increment_minutes?: number;
}

export interface MachineSpec {
  code: string;
  name: string;
  type: TypeCode;
  description: string;
  location: string;
  rules: MachineRuleOverrides;
  requiresApproval: boolean;
  requiresQualification: boolean;
  operatorMode: OperatorMode;
  allocationMode: "first_come" | "weekly_round";
  /** Narrower opening hours than the facility's, or null. */
  hours: WeeklyHours | null;
  /** Retribusi in rupiah per hour from 1 January 2026. */
  hourlyRate: number;
  /** The lower rate in force from 1 July 2025, for machines with tariff history. */
  previousRate: number | null;
  /** Share of its open time this machine was booked in the past 90 days (0–1). */
  busyness: number;
  /** Expected refused requests per open day ("unmet demand"): high on the contested machines. */
  demand: number;
}

/** The plating bath needs an hour to heat in the morning and is drained before closing. */
const PLATING_HOURS: WeeklyHours = {
  1: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  2: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  3: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  4: [{ start: "08:00", end: "12:00" }, { start: "13:00", end: "15:00" }],
  5: [{ start: "08:00", end: "11:30" }, { start: "13:00", end: "15:00" }],
  6: [],
  7: [],
};

const SELF: Pick<MachineSpec, "requiresApproval" | "requiresQualification" | "operatorMode" | "allocationMode" | "hours"> = {
  requiresApproval: false,
  requiresQualification: false,
  operatorMode: "self",
  allocationMode: "first_come",
  hours: null,
};

export const MACHINES: readonly MachineSpec[] = [
  {
    ...SELF,
    code: "PRS-01",
    name: "Press Hidrolik 100 Ton",
    type: "PRESS",
    description: "Press hidrolik 100 ton untuk membentuk bodi dan tutup knalpot dari plat hingga 3 mm.",
    location: "Gedung A – Bengkel Pembentukan",
    rules: { max_minutes: 240 },
    hourlyRate: 75_000,
    previousRate: 60_000,
    busyness: 0.72,
    demand: 1.2,
  },
  {
    ...SELF,
    code: "PRS-02",
    name: "Press Hidrolik 60 Ton",
    type: "PRESS",
    description: "Press hidrolik 60 ton untuk flange, braket dan komponen plat tipis.",
    location: "Gedung A – Bengkel Pembentukan",
    rules: {},
    hourlyRate: 50_000,
    previousRate: null,
    busyness: 0.5,
    demand: 0.2,
  },
  {
    ...SELF,
    code: "PLT-01",
    name: "Lini Elektroplating Nikel-Krom",
    type: "PLATING",
    description: "Lini pelapisan nikel dan krom dekoratif untuk knalpot dan suku cadang, dijalankan oleh operator UPTD.",
    location: "Gedung C – Ruang Plating",
    rules: { min_minutes: 60, max_minutes: 240, buffer_minutes: 30, billing_increment_minutes: 60 },
    requiresApproval: true,
    operatorMode: "assisted",
    hours: PLATING_HOURS,
    hourlyRate: 150_000,
    previousRate: 125_000,
    busyness: 0.65,
    demand: 0.8,
  },
  {
    ...SELF,
    code: "CNC-01",
    name: "Bubut CNC 1",
    type: "CNC_LATHE",
    description: "Mesin bubut CNC dua sumbu untuk poros, bushing dan nepel berdiameter hingga 300 mm.",
    location: "Gedung B – Bengkel Permesinan",
    rules: { min_minutes: 60 },
    requiresQualification: true,
    hourlyRate: 100_000,
    previousRate: null,
    busyness: 0.68,
    demand: 0.6,
  },
  {
    ...SELF,
    code: "CNC-02",
    name: "Bubut CNC 2",
    type: "CNC_LATHE",
    description: "Mesin bubut CNC dua sumbu dengan pencekam hidrolik untuk produksi seri kecil.",
    location: "Gedung B – Bengkel Permesinan",
    rules: { min_minutes: 60 },
    requiresQualification: true,
    hourlyRate: 100_000,
    previousRate: null,
    busyness: 0.55,
    demand: 0.2,
  },
  {
    ...SELF,
    code: "CNC-03",
    name: "Frais CNC Vertikal",
    type: "CNC_MILL",
    description: "Mesin frais CNC tiga sumbu untuk cetakan, flange dan dudukan mesin.",
    location: "Gedung B – Bengkel Permesinan",
    rules: { min_minutes: 60 },
    requiresQualification: true,
    hourlyRate: 125_000,
    previousRate: null,
    busyness: 0.48,
    demand: 0.15,
  },
  {
    ...SELF,
    code: "BND-01",
    name: "Tekuk Plat Hidrolik 3 m",
    type: "BENDING",
    description: "Mesin tekuk plat hidrolik dengan panjang kerja 3 meter untuk plat hingga 4 mm.",
    location: "Gedung A – Bengkel Pembentukan",
    rules: {},
    hourlyRate: 50_000,
    previousRate: null,
    busyness: 0.5,
    demand: 0.15,
  },
  {
    ...SELF,
    code: "CUT-01",
    name: "Pemotong Plasma CNC",
    type: "CUTTING",
    description: "Meja potong plasma CNC 1,5 × 3 m untuk plat baja dan stainless hingga 12 mm.",
    location: "Gedung A – Bengkel Pembentukan",
    rules: { max_minutes: 240, weekly_quota_minutes: 480 },
    allocationMode: "weekly_round",
    hourlyRate: 120_000,
    previousRate: null,
    busyness: 0.75,
    demand: 1.6,
  },
  {
    ...SELF,
    code: "WLD-01",
    name: "Las TIG Inverter",
    type: "WELDING",
    description: "Mesin las TIG untuk sambungan stainless knalpot, bisa dipakai sendiri atau dengan operator UPTD.",
    location: "Gedung D – Bengkel Las",
    rules: {},
    operatorMode: "both",
    hourlyRate: 35_000,
    previousRate: null,
    busyness: 0.6,
    demand: 0.3,
  },
  {
    ...SELF,
    code: "WLD-02",
    name: "Las MIG 350 A",
    type: "WELDING",
    description: "Mesin las MIG untuk rangka baja dan konstruksi ringan, bisa dipakai sendiri atau dengan operator UPTD.",
    location: "Gedung D – Bengkel Las",
    rules: {},
    operatorMode: "both",
    hourlyRate: 30_000,
    previousRate: null,
    busyness: 0.48,
    demand: 0.1,
  },
  {
    ...SELF,
    code: "SBL-01",
    name: "Bilik Sandblasting",
    type: "SANDBLAST",
    description: "Bilik sandblasting untuk membersihkan karat dan kerak hasil cor sebelum pelapisan.",
    location: "Gedung C – Ruang Finishing",
    rules: { notice_minutes: 1440 },
    hourlyRate: 40_000,
    previousRate: null,
    busyness: 0.45,
    demand: 0.1,
  },
  {
    ...SELF,
    code: "PWD-01",
    name: "Oven Powder Coating",
    type: "POWDER",
    description: "Bilik semprot dan oven curing powder coating untuk rangka dan komponen hingga 2 meter.",
    location: "Gedung C – Ruang Finishing",
    rules: { min_minutes: 60, buffer_minutes: 30 },
    hourlyRate: 90_000,
    previousRate: null,
    busyness: 0.55,
    demand: 0.3,
  },
];

export interface IkmSpec {
  name: string;
  owner: string;
  sector: Sector;
  village: string;
  street: string;
  /** Relative booking activity: a few firms use the unit far more than the rest. */
  activity: number;
  /** Machine types a member of this IKM is certified for (valid through the demo period). */
  qualifications: TypeCode[];
}

export type Sector = "knalpot" | "suku cadang" | "alat pertanian" | "pengecoran" | "kerajinan logam" | "konstruksi baja";

/** The machine types a sector mostly needs: those are booked three times as often. */
export const SECTOR_TYPES: Record<Sector, readonly TypeCode[]> = {
  knalpot: ["PRESS", "BENDING", "CUTTING", "WELDING", "PLATING"],
  "suku cadang": ["CNC_LATHE", "CNC_MILL", "PRESS", "PLATING"],
  "alat pertanian": ["CUTTING", "WELDING", "BENDING", "SANDBLAST", "POWDER"],
  pengecoran: ["SANDBLAST", "CNC_MILL", "CNC_LATHE"],
  "kerajinan logam": ["PLATING", "POWDER", "CUTTING", "SANDBLAST"],
  "konstruksi baja": ["CUTTING", "WELDING", "BENDING", "POWDER"],
};

/** IKM #1 and #2 carry the ikm1/ikm2 demo logins. */
export const IKMS: readonly IkmSpec[] = [
  { name: "Knalpot Jaya Abadi", owner: "Suparno", sector: "knalpot", village: "Pesayangan", street: "Jl. Raya Pesayangan No. 12", activity: 5, qualifications: ["CNC_LATHE"] },
  { name: "CV Sinar Logam Mandiri", owner: "Rina Wulandari", sector: "suku cadang", village: "Purbalingga Lor", street: "Jl. Letjen S. Parman No. 48", activity: 4, qualifications: [] },
  { name: "UD Karya Knalpot Pesayangan", owner: "Sukirman", sector: "knalpot", village: "Pesayangan", street: "Gang Mawar RT 02/RW 03", activity: 9, qualifications: ["CNC_LATHE"] },
  { name: "Knalpot Racing Mas Bowo", owner: "Bowo Prasetyo", sector: "knalpot", village: "Kedungbenda", street: "Jl. Kedungbenda RT 01/RW 04", activity: 6, qualifications: [] },
  { name: "CV Logam Prima Perwira", owner: "Hadi Santoso", sector: "suku cadang", village: "Kalimanah", street: "Jl. Raya Kalimanah No. 77", activity: 7, qualifications: ["CNC_LATHE", "CNC_MILL"] },
  { name: "UD Tani Makmur Teknik", owner: "Wagiman", sector: "alat pertanian", village: "Bojongsari", street: "Jl. Bojongsari–Bobotsari Km 2", activity: 3, qualifications: [] },
  { name: "Pengecoran Logam Sumber Rejeki", owner: "Darsono", sector: "pengecoran", village: "Penambongan", street: "Jl. Penambongan RT 03/RW 01", activity: 2.5, qualifications: ["CNC_MILL"] },
  { name: "Knalpot Sido Mulyo", owner: "Tarsono", sector: "knalpot", village: "Toyareja", street: "Jl. Toyareja RT 04/RW 02", activity: 4, qualifications: [] },
  { name: "CV Mitra Presisi Purbalingga", owner: "Agus Setiawan", sector: "suku cadang", village: "Kandanggampang", street: "Jl. Mayjen Sungkono No. 21", activity: 6, qualifications: ["CNC_LATHE", "CNC_MILL"] },
  { name: "UD Berkah Las Mandiri", owner: "Siti Aminah", sector: "konstruksi baja", village: "Mewek", street: "Jl. Raya Mewek No. 5", activity: 2, qualifications: [] },
  { name: "Knalpot Gagak Rimang", owner: "Slamet Widodo", sector: "knalpot", village: "Kedungbenda", street: "Jl. Kedungbenda RT 02/RW 05", activity: 3, qualifications: [] },
  { name: "CV Galuh Metal Works", owner: "Dwi Hartono", sector: "kerajinan logam", village: "Galuh", street: "Jl. Galuh RT 01/RW 01", activity: 1.5, qualifications: [] },
  { name: "UD Sekar Tani", owner: "Parjo", sector: "alat pertanian", village: "Kalimanah", street: "Jl. Kalimanah Wetan RT 05/RW 02", activity: 1.5, qualifications: [] },
  { name: "Knalpot Prabu Jaya", owner: "Eko Purnomo", sector: "knalpot", village: "Purbalingga Lor", street: "Jl. Jenderal Sudirman No. 102", activity: 2.5, qualifications: [] },
  { name: "CV Perwira Teknik Mandiri", owner: "Yuliani", sector: "suku cadang", village: "Bancar", street: "Jl. Bancar RT 03/RW 04", activity: 1, qualifications: [] },
  { name: "Bengkel Bubut Sinar Jaya", owner: "Warsito", sector: "suku cadang", village: "Bojongsari", street: "Jl. Raya Bojongsari No. 33", activity: 3, qualifications: ["CNC_LATHE"] },
  { name: "UD Cahaya Knalpot", owner: "Nur Hidayat", sector: "knalpot", village: "Pesayangan", street: "Gang Melati RT 01/RW 03", activity: 2, qualifications: [] },
  { name: "CV Bumi Perwira Logam", owner: "Ahmad Fauzi", sector: "pengecoran", village: "Padamara", street: "Jl. Raya Padamara No. 9", activity: 1, qualifications: [] },
  { name: "Knalpot Kuda Lumping", owner: "Sugeng Riyanto", sector: "knalpot", village: "Toyareja", street: "Jl. Toyareja RT 01/RW 03", activity: 2, qualifications: [] },
  { name: "UD Guyub Rukun Teknik", owner: "Endang Susilowati", sector: "alat pertanian", village: "Mewek", street: "Jl. Mewek RT 02/RW 01", activity: 1, qualifications: [] },
  { name: "CV Ardi Stainless", owner: "Ardiansyah", sector: "kerajinan logam", village: "Kembaran Kulon", street: "Jl. Kembaran Kulon No. 14", activity: 1.5, qualifications: [] },
  { name: "Knalpot Satria Muda", owner: "Yoga Pratama", sector: "knalpot", village: "Kedungbenda", street: "Jl. Kedungbenda RT 05/RW 01", activity: 1, qualifications: [] },
  { name: "UD Pande Besi Ngudi Rejeki", owner: "Marsudi", sector: "alat pertanian", village: "Bojongsari", street: "Dusun Karangnangka RT 02/RW 02", activity: 0.6, qualifications: [] },
  { name: "CV Karya Baja Serayu", owner: "Heru Susanto", sector: "konstruksi baja", village: "Kalimanah", street: "Jl. Raya Kalimanah No. 140", activity: 1.2, qualifications: [] },
  { name: "Knalpot Bancar Motor", owner: "Teguh Raharjo", sector: "knalpot", village: "Bancar", street: "Jl. Bancar RT 06/RW 02", activity: 0.8, qualifications: [] },
];

/**
 * The IKM (by index) whose recent no-shows put it under the approval-only restriction, so the
 * demo shows IKM_RESTRICTED. Never IKM #1 or #2, which must be able to book freely.
 */
export const UNRELIABLE_IKM_INDEX = 18;

/** An expired certificate: this IKM's CNC milling qualification lapsed during the history. */
export const EXPIRED_QUALIFICATION = { ikmIndex: 11, type: "CNC_MILL" as TypeCode, daysAgo: 20 };

export const STAFF = {
  admin: { name: "Admin Giliran", email: "admin@giliran.test" },
  manager: { name: "Kepala UPTD", email: "manajer@giliran.test" },
  technicians: [
    { name: "Teknisi Bengkel", email: "teknisi@giliran.test", phone: "+6281327001001" },
    { name: "Bambang Sutrisno", email: "teknisi2@giliran.test", phone: "+6281327001002" },
  ],
} as const;

/** The email login of the member of IKM #n (1-based): ikm1@giliran.test, … */
export function ikmEmail(n: number): string {
  return `ikm${n}@giliran.test`;
}

/** Workers of the IKMs who run the machines themselves. */
export const WORKER_NAMES: readonly string[] = [
  "Darto", "Wahyudi", "Sarmin", "Joko", "Rohmat", "Kusno", "Imam", "Tukijo", "Riyanto", "Anwar",
  "Sutrisno", "Budi", "Priyo", "Mulyono", "Fajar", "Rizky", "Dimas", "Gunawan", "Narto", "Toni",
];

interface TypeWork {
  purposes: readonly string[];
  unit: "pcs" | "kg" | "m²" | "set";
  /** Typical output per hour of machine time, [min, max]. */
  perHour: readonly [number, number];
  consumables: readonly string[];
}

export const TYPE_WORK: Record<TypeCode, TypeWork> = {
  PRESS: {
    purposes: ["Press bodi knalpot racing 2 tak", "Cetak flange knalpot", "Pembentukan tutup silencer", "Press braket dudukan knalpot", "Cetak ring pengunci"],
    unit: "pcs",
    perHour: [80, 200],
    consumables: ["", "Oli hidrolik ditambah 0,5 L", "Pelumas cetakan"],
  },
  PLATING: {
    purposes: ["Krom bodi knalpot", "Pelapisan nikel baut dan mur", "Krom dekoratif tutup knalpot", "Nikel-krom velg motor", "Pelapisan nikel komponen rem"],
    unit: "kg",
    perHour: [8, 20],
    consumables: ["Larutan nikel 2 L, asam kromat 0,5 kg", "Anoda nikel, larutan degreasing", "Larutan krom 1 L, bahan poles"],
  },
  CNC_LATHE: {
    purposes: ["Bubut nepel knalpot", "Bubut as roda", "Bubut bushing arm", "Bubut baut khusus M12", "Bubut pulley"],
    unit: "pcs",
    perHour: [6, 20],
    consumables: ["Insert karbida 1 pcs, coolant", "Coolant 2 L", "Insert karbida 2 pcs"],
  },
  CNC_MILL: {
    purposes: ["Frais cetakan flange", "Frais dudukan mesin", "Frais mal press tutup knalpot", "Frais plat dudukan footstep"],
    unit: "pcs",
    perHour: [3, 10],
    consumables: ["End mill 10 mm, coolant", "Coolant 2 L", "End mill 6 mm"],
  },
  BENDING: {
    purposes: ["Tekuk plat bracket", "Tekuk plat bodi gerobak", "Tekuk cover knalpot", "Tekuk rangka panel"],
    unit: "pcs",
    perHour: [40, 120],
    consumables: ["", "Pelumas die"],
  },
  CUTTING: {
    purposes: ["Potong plat 2 mm untuk flange", "Potong pola plat stainless", "Potong plat mata bajak", "Potong pola cover knalpot", "Potong plat dudukan mesin"],
    unit: "pcs",
    perHour: [20, 60],
    consumables: ["Nozzle 1 pcs, elektroda 1 pcs", "Udara tekan, nozzle 1 pcs", "Elektroda 2 pcs"],
  },
  WELDING: {
    purposes: ["Las sambungan leher knalpot", "Las rangka alat perontok padi", "Las silencer stainless", "Las rangka rak", "Las bracket knalpot"],
    unit: "set",
    perHour: [2, 6],
    consumables: ["Kawat las ER70S 1 kg, gas CO₂", "Elektroda tungsten, gas argon 0,5 tabung", "Kawat las stainless 0,5 kg, gas argon"],
  },
  SANDBLAST: {
    purposes: ["Pembersihan karat rangka", "Sandblasting hasil cor", "Persiapan permukaan sebelum powder coating", "Pembersihan kerak knalpot bekas"],
    unit: "m²",
    perHour: [3, 8],
    consumables: ["Pasir silika 25 kg", "Steel grit 20 kg", "Pasir silika 40 kg"],
  },
  POWDER: {
    purposes: ["Powder coating rangka sepeda", "Coating hitam doff knalpot", "Powder coating pintu pagar", "Coating panel mesin perontok"],
    unit: "m²",
    perHour: [4, 10],
    consumables: ["Serbuk cat hitam doff 2 kg", "Serbuk cat merah 1,5 kg", "Serbuk cat abu-abu 2 kg"],
  },
};

export const CANCEL_REASONS: readonly string[] = [
  "Pesanan pelanggan ditunda",
  "Bahan baku belum datang",
  "Pekerja sakit",
  "Jadwal bentrok dengan pengiriman",
  "Desain benda kerja berubah",
];

export const REJECT_REASONS: readonly string[] = [
  "Bak krom sedang diregenerasi",
  "Benda kerja terlalu besar untuk bak plating",
  "Operator plating tidak tersedia pada jam tersebut",
];
