import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A small seeded generator (mulberry32): the same seed gives the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Frequent French words (function words and everyday news vocabulary)...
const COMMON = `le la les de des du un une et à au aux en dans sur pour par avec que qui ne pas plus est sont a ont été être avoir fait selon après avant depuis pendant entre contre sans sous vers chez lors ainsi aussi encore déjà toujours très bien cette ces son sa ses leur leurs nous vous ils elles il elle on se ce cela tout tous toute toutes autre autres même comme mais donc car si quand alors
gouvernement ministre pays ville région projet année mois semaine jour milliards millions dirhams euros dollars hausse baisse croissance économie entreprise marché secteur emploi chômage prix taux budget loi réforme décision rapport étude enquête président directeur responsable société public privé national international mondial local service services réseau internet téléphone mobile opérateurs clients abonnés accès données numérique technologie innovation énergie eau agriculture tourisme santé éducation école université étudiants jeunes femmes enfants famille citoyens habitants population police justice tribunal procès affaire sécurité transport route train aéroport port construction logement investissement banque crédit dette exportations importations production industrie usine commerce consommation`.split(/\s+/);
// ...and a long tail of rarer words built from syllables, as in real text.
const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo ou an on in en ar er ir or ur al el il ol'.split(' ');
const SUFFIXES = ['tion', 'ment', 'age', 'eur', 'ité', 'ique', 'isme', 'ance', 'ois', 'aine', 'é', 'ée', 'er', 'ir', ''];
const PLACES = ['Rabat', 'Casablanca', 'Fès', 'Tanger', 'Agadir', 'Oujda', 'Meknès', 'Tétouan', 'Safi', 'Kénitra', 'Nador'];
const FIRST = ['Karim', 'Nadia', 'Youssef', 'Salma', 'Omar', 'Leïla', 'Hicham', 'Imane', 'Rachid', 'Sara', 'Mehdi'];
const LAST = ['Bennani', 'El Amrani', 'Tazi', 'Alaoui', 'Berrada', 'Chraibi', 'Idrissi', 'Fassi', 'Benjelloun'];

/** A Zipf-like pick: low indexes far more often. */
const zipf = (r: () => number, n: number) => Math.min(n - 1, Math.floor(n * Math.pow(r(), 2.2)));

function tailWord(r: () => number): string {
  let w = '';
  for (let i = 0, n = 2 + Math.floor(r() * 3); i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w + SUFFIXES[Math.floor(r() * SUFFIXES.length)];
}

function sentence(r: () => number, tail: string[]): string {
  const words: string[] = [];
  for (let i = 0, len = 10 + Math.floor(r() * 22); i < len; i++) {
    const x = r();
    if (x < 0.62) words.push(COMMON[zipf(r, COMMON.length)]!);
    else if (x < 0.93) words.push(tail[zipf(r, tail.length)]!);
    else if (x < 0.96) words.push(String(Math.floor(r() * 2000)));
    else if (x < 0.98) words.push(PLACES[Math.floor(r() * PLACES.length)]!);
    else words.push(`${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`);
  }
  const s = words.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

export interface SyntheticOptions {
  articles: number;
  seed?: number;
  /** Distinct rare words in the long tail. */
  vocabulary?: number;
}

/** One synthetic French article in the corpus format (CONTRACT.md §1): 5–10 paragraphs of 2–5 sentences. */
export function syntheticArticle(r: () => number, tail: string[], i: number): string {
  const paragraphs = Array.from({ length: 5 + Math.floor(r() * 6) }, () => Array.from({ length: 2 + Math.floor(r() * 4) }, () => sentence(r, tail)).join(' '));
  const title = sentence(r, tail).slice(0, 90).replace(/\.$/, '');
  const date = `${2010 + Math.floor(r() * 12)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  return `---\nid: synth-${String(i).padStart(5, '0')}\ntitle: ${JSON.stringify(title)}\nlang: fr\nsource: Synthétique\npublished: ${date}\n---\n${paragraphs.join('\n\n')}\n`;
}

/** Write `articles` synthetic articles into `dir`; the same seed writes the same files. */
export async function writeSyntheticCorpus(dir: string, options: SyntheticOptions, onProgress?: (done: number) => void): Promise<void> {
  const r = rng(options.seed ?? 2016);
  const tail = Array.from({ length: options.vocabulary ?? 40_000 }, () => tailWord(r));
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < options.articles; i++) {
    await writeFile(join(dir, `synth-${String(i).padStart(5, '0')}.md`), syntheticArticle(r, tail, i));
    if (onProgress && (i + 1) % 250 === 0) onProgress(i + 1);
  }
}
