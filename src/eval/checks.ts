import type { AnswerOut } from '../engine.js';

/** One evaluation question, in the format of ../shared/eval/dev.jsonl. */
export interface EvalQuestion {
  id: string;
  question: string;
  lang?: 'fr' | 'en' | null;
  expect_lang: 'fr' | 'en';
  gold: string[];
  facts?: string[][];
}

// The same folding and language check as ../shared/eval/score.mjs, so both agree.
export const foldForEval = (s: unknown) => String(s ?? '').normalize('NFD').replace(/\p{M}/gu, '').replace(/[’‘`]/g, "'").toLowerCase();
const FR = new Set('le la les des du de et est été une un au aux sur pas dans pour par que qui ne se il elle ont sont avait était cette ces selon après'.split(' '));
const EN = new Set('the of and is was to in for that by on with it from were has have be this which after had been are its'.split(' '));

export function answerLanguage(text: string): 'fr' | 'en' | 'unknown' {
  let fr = 0;
  let en = 0;
  for (const w of foldForEval(text).split(/[^a-z]+/)) {
    if (FR.has(w)) fr++;
    if (EN.has(w)) en++;
  }
  return fr === en ? 'unknown' : fr > en ? 'fr' : 'en';
}

export interface Verdict {
  id: string;
  pass: boolean;
  why: string[];
  top1?: boolean;
  top3?: boolean;
  facts?: boolean;
  rejected?: boolean;
  langOk: boolean;
}

export function judge(q: EvalQuestion, r: AnswerOut): Verdict {
  const why: string[] = [];
  const has = (p: { original?: string } | undefined) => q.gold.some((g) => foldForEval(p?.original).includes(foldForEval(g)));
  const langOk = r.lang === q.expect_lang && answerLanguage(r.answer) === q.expect_lang;
  if (!langOk) why.push(`lang ${r.lang}/${answerLanguage(r.answer)}`);
  const verdict: Verdict = { id: q.id, pass: false, why, langOk };
  if (q.gold.length) {
    verdict.top1 = r.found && has(r.passages[0]);
    verdict.top3 = r.found && r.passages.slice(0, 3).some(has);
    verdict.facts = (q.facts ?? []).every((group) => group.some((f) => foldForEval(r.answer).includes(foldForEval(f))));
    if (!verdict.top1) why.push(r.found ? 'top1' : 'not found');
    if (!verdict.facts) why.push('facts');
  } else {
    verdict.rejected = !r.found;
    if (r.found) why.push('answered an unanswerable question');
  }
  verdict.pass = why.length === 0;
  return verdict;
}

export function parseQuestions(jsonl: string): EvalQuestion[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

export function summarizeVerdicts(verdicts: Verdict[], seconds: number): string {
  const answerable = verdicts.filter((v) => v.top1 !== undefined);
  const unanswerable = verdicts.filter((v) => v.rejected !== undefined);
  const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)}%` : 'n/a');
  const count = (vs: Verdict[], f: (v: Verdict) => boolean | undefined) => vs.filter(f).length;
  return `eval: ${count(verdicts, (v) => v.pass)}/${verdicts.length} questions pass · top1 ${pct(count(answerable, (v) => v.top1), answerable.length)} · top3 ${pct(count(answerable, (v) => v.top3), answerable.length)} · facts ${pct(count(answerable, (v) => v.facts), answerable.length)} · rejection ${pct(count(unanswerable, (v) => v.rejected), unanswerable.length)} · language ${pct(count(verdicts, (v) => v.langOk), verdicts.length)} · ${seconds.toFixed(1)}s`;
}
