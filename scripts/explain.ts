// Developer aid: how a question was planned and why passages ranked as they did.
//   npx tsx scripts/explain.ts "question" [--corpus DIR]
import { parseArgs } from 'node:util';
import { Engine } from '../src/engine.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { corpus: { type: 'string', default: 'corpus' } } });
const question = positionals.join(' ');
const { engine } = await Engine.open({ corpusDir: values.corpus!, cacheDir: process.env.CACHE_DIR ?? null });
const { plan, retrieval, unknown } = engine.explain(question);
console.log(`lang ${plan.lang} (detected ${plan.detected}) type ${plan.type} entities ${JSON.stringify(plan.entities)}`);
plan.terms.forEach((t, i) => {
  const alts = (lang: 'fr' | 'en') => [...t.alts[lang]].map(([k, s]) => `${k}:${s}`).join(' ');
  console.log(`  ${t.key.padEnd(14)} w=${retrieval.weights[i]!.toFixed(2)}${t.common ? ' common' : ''}${t.name ? ' name' : ''}${t.focus ? ' focus' : ''}${t.predicate ? ' predicate' : ''} fr=[${alts('fr')}] en=[${alts('en')}]`);
});
for (const p of retrieval.passages) {
  console.log(`${p.article.id}#${p.paragraph} score=${p.score.toFixed(3)} cov=${p.coverage.toFixed(2)} article=${p.articleCoverage.toFixed(2)} type=${p.typeEvidence.toFixed(2)} matched=[${p.matched.map((m) => m.toFixed(2)).join(' ')}] unknown=${JSON.stringify(unknown(p))}`);
}
const answer = engine.ask(question);
console.log(answer.found, answer.answer);
