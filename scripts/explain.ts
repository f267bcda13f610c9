// Developer aid: shows how a question was planned and why passages ranked as they did.
//   npx tsx scripts/explain.ts "question" [--corpus DIR]
import { Engine } from '../src/engine.js';

const args = process.argv.slice(2);
const at = args.indexOf('--corpus');
const corpusDir = at >= 0 ? args[at + 1]! : 'corpus';
const question = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1)).join(" ");
const { engine } = await Engine.open({ corpusDir, cacheDir: null });
const plan = engine.plan(question);
const snapshot = (engine as unknown as { snapshot: { retriever: import('../src/search/retriever.js').Retriever } }).snapshot;
const r = snapshot.retriever.retrieve(plan, 5);
console.log(`lang ${plan.lang} (detected ${plan.detected}) type ${plan.type} entities ${JSON.stringify(plan.entities)}`);
plan.terms.forEach((t, i) => console.log(`  ${t.key.padEnd(14)} w=${r.weights[i]!.toFixed(2)} common=${t.common} name=${t.name} fr=[${[...t.alts.fr].map(([k, s]) => `${k}:${s}`).join(' ')}] en=[${[...t.alts.en].map(([k, s]) => `${k}:${s}`).join(' ')}]`));
for (const p of r.passages) {
  console.log(`${p.article.id}#${p.paragraph} score=${p.score.toFixed(3)} cov=${p.coverage.toFixed(2)} type=${p.typeEvidence} matched=[${p.matched.map((m) => m.toFixed(1)).join(' ')}] unknown=${JSON.stringify(snapshot.retriever.unknownEntities(plan, p.article))}`);
}
const a = engine.ask(question);
console.log(a.found, a.answer);
