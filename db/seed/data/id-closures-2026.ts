/** 2026 closure days of Indonesia (national holidays and collective leave), the same rows as id-closures-2026.csv, kept as a module so the server bundle carries them. */
export const CLOSURES_2026_CSV = `date,kind,name
2026-01-01,holiday,Tahun Baru Masehi
2026-01-16,holiday,Isra Mikraj Nabi Muhammad SAW
2026-02-16,collective_leave,Cuti bersama Tahun Baru Imlek
2026-02-17,holiday,Tahun Baru Imlek
2026-03-18,collective_leave,Cuti bersama Hari Suci Nyepi
2026-03-19,holiday,Hari Suci Nyepi
2026-03-20,collective_leave,Cuti bersama Idulfitri
2026-03-21,holiday,Idulfitri
2026-03-22,holiday,Idulfitri
2026-03-23,collective_leave,Cuti bersama Idulfitri
2026-03-24,collective_leave,Cuti bersama Idulfitri
2026-04-03,holiday,Wafat Yesus Kristus
2026-04-05,holiday,Kebangkitan Yesus Kristus (Paskah)
2026-05-01,holiday,Hari Buruh Internasional
2026-05-14,holiday,Kenaikan Yesus Kristus
2026-05-15,collective_leave,Cuti bersama Kenaikan Yesus Kristus
2026-05-27,holiday,Iduladha
2026-05-28,collective_leave,Cuti bersama Iduladha
2026-05-31,holiday,Hari Raya Waisak
2026-06-01,holiday,Hari Lahir Pancasila
2026-06-16,holiday,Tahun Baru Islam
2026-08-17,holiday,Hari Kemerdekaan Republik Indonesia
2026-08-25,holiday,Maulid Nabi Muhammad SAW
2026-12-24,collective_leave,Cuti bersama Hari Raya Natal
2026-12-25,holiday,Hari Raya Natal
`;
