/**
 * Indonesian names for the benchmark data set: IKM firm names, owners and addresses in the
 * Purbalingga area, drawn from a seeded generator so the same seed gives the same people.
 */
import type { Sector } from "../../db/seed/catalog";
import type { Rng } from "../../db/seed/random";

const FIRST_NAMES = [
  "Agus", "Ahmad", "Ari", "Bambang", "Budi", "Darto", "Dedi", "Dwi", "Eko", "Endang", "Fajar",
  "Hadi", "Hendra", "Heru", "Imam", "Joko", "Kusno", "Lilis", "Marsudi", "Muhammad", "Nur",
  "Priyo", "Puji", "Rina", "Rizky", "Rohmat", "Sarmin", "Siti", "Slamet", "Sri", "Sugeng",
  "Suparno", "Supriyadi", "Suryani", "Teguh", "Tri", "Wahyu", "Warsito", "Yuli", "Yanto",
];
const LAST_NAMES = [
  "Santoso", "Wibowo", "Prasetyo", "Hartono", "Susanto", "Setiawan", "Purnomo", "Riyanto",
  "Widodo", "Saputra", "Rahayu", "Lestari", "Wulandari", "Hidayat", "Nugroho", "Kurniawan",
  "Utomo", "Pratama", "Suharto", "Wijaya", "Haryanto", "Sulistyo", "Mulyadi", "Rahmawati",
];
const FIRM_WORDS = [
  "Jaya", "Abadi", "Makmur", "Sinar", "Mandiri", "Perwira", "Sejahtera", "Karya", "Sentosa",
  "Berkah", "Maju", "Mulya", "Rejeki", "Utama", "Prima", "Sakti", "Barokah", "Lancar", "Agung",
  "Baru", "Indah", "Kencana", "Mas", "Putra", "Sido", "Tunggal", "Gemilang", "Lestari", "Bersama",
  "Serayu", "Slamet", "Manunggal", "Rukun", "Santosa", "Harapan", "Cahaya", "Logam", "Teknik",
];
const SECTOR_PREFIXES: Record<Sector, readonly string[]> = {
  knalpot: ["Knalpot", "UD Knalpot", "CV Knalpot", "Bengkel Knalpot"],
  "suku cadang": ["CV", "UD", "Bengkel Bubut", "PT"],
  "alat pertanian": ["UD", "Pande Besi", "CV Alsintan"],
  pengecoran: ["Pengecoran Logam", "CV Cor", "UD Cor Logam"],
  "kerajinan logam": ["CV", "UD Kerajinan", "Galeri Logam"],
  "konstruksi baja": ["CV Baja", "UD Las", "Bengkel Las"],
};
/** Villages and kecamatan of Kabupaten Purbalingga. */
export const VILLAGES = [
  "Pesayangan", "Purbalingga Lor", "Kedungbenda", "Kalimanah", "Bojongsari", "Penambongan",
  "Toyareja", "Kandanggampang", "Mewek", "Galuh", "Bancar", "Padamara", "Kembaran Kulon",
  "Kutasari", "Bobotsari", "Mrebet", "Bukateja", "Kemangkon", "Kaligondang", "Kejobong",
  "Pengadegan", "Rembang", "Karangreja", "Karangmoncol", "Karanganyar", "Kertanegara",
];
const FLOWERS = ["Mawar", "Melati", "Anggrek", "Kenanga", "Cempaka", "Dahlia", "Flamboyan"];

/** Sectors of the cluster and their share of the IKMs. */
export const SECTOR_SHARES: readonly [Sector, number][] = [
  ["knalpot", 0.45],
  ["suku cadang", 0.2],
  ["alat pertanian", 0.11],
  ["pengecoran", 0.06],
  ["kerajinan logam", 0.08],
  ["konstruksi baja", 0.1],
];

export function personName(rng: Rng): string {
  return rng.chance(0.3) ? rng.pick(FIRST_NAMES) : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** A firm name for the sector, never one of `taken` (which it joins). */
export function firmName(rng: Rng, sector: Sector, taken: Set<string>): string {
  for (;;) {
    const first = rng.pick(FIRM_WORDS);
    const second = rng.chance(0.5) ? rng.pick(FIRM_WORDS) : first;
    const words = second === first ? first : `${first} ${second}`;
    const name = `${rng.pick(SECTOR_PREFIXES[sector])} ${words}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export function streetAddress(rng: Rng, village: string): string {
  return rng.chance(0.5)
    ? `Jl. Raya ${village} No. ${rng.int(1, 180)}`
    : `Gang ${rng.pick(FLOWERS)} RT 0${rng.int(1, 9)}/RW 0${rng.int(1, 9)}`;
}

/** A draw from the standard normal distribution (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Digit strings of a fixed form, never the same twice (phone numbers, NIBs). */
export class UniqueDigits {
  private readonly seen: Set<string>;

  constructor(
    private readonly rng: Rng,
    taken: readonly string[] = [],
  ) {
    this.seen = new Set(taken);
  }

  next(prefix: string, randomDigits: number): string {
    for (;;) {
      let value = prefix;
      for (let i = 0; i < randomDigits; i++) value += String(this.rng.int(0, 9));
      if (!this.seen.has(value)) {
        this.seen.add(value);
        return value;
      }
    }
  }
}
