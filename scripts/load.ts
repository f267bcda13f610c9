// Load test: 50 /ask per second for 60 s, through the local Discord test server, against the
// bot running as its own process (`src/cli/main.ts start`), whose memory is sampled from /proc.
// Loopback only; bounded in count and time.
//   npm run load -- [--rate 50] [--seconds 60] [--json]
import { spawn } from 'node:child_process';
import { mkdtemp, readFileSync, rm } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ID, guildSetup, MEMBER } from '../test/discord/harness.js';
import { runLoad } from '../test/discord/load.js';
import { startDiscordServer } from '../test/discord/server.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' }, json: { type: 'boolean', default: false } } });
const server = await startDiscordServer({ applicationId: APP_ID, botUser: { id: APP_ID, username: 'actu-bot' }, defaultUser: { id: MEMBER, username: 'alice' }, guilds: [guildSetup()], defaultWaitTimeoutMs: 30_000 });
const cache = await new Promise<string>((resolve, reject) => mkdtemp(join(tmpdir(), 'load-'), (err, dir) => (err ? reject(err) : resolve(dir))));
const bot = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
  env: { ...process.env, DISCORD_TOKEN: 'load-test-token', DISCORD_API_URL: server.apiUrl, CACHE_DIR: cache, LOG_LEVEL: 'warn', ANTHROPIC_API_KEY: '', ASK_RATE_LIMIT_COUNT: '1000' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let logs = '';
bot.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${bot.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
try {
  await server.waitForReady({ timeoutMs: 30_000 });
  await new Promise((r) => setTimeout(r, 1000));
  const result = await runLoad({ server, rss, failures: () => logs.match(/"msg":"interaction failed"/g)?.length ?? 0 }, Number(values.rate), Number(values.seconds));
  if (values.json) console.log(JSON.stringify(result));
  else {
    const r = result;
    console.log(`sent ${r.sent} in ${r.seconds.toFixed(1)} s, answered ${r.answered}, errors ${r.errors}`);
    console.log(`ack ms: mean ${r.ackMs.mean.toFixed(1)} p50 ${r.ackMs.p50.toFixed(1)} p95 ${r.ackMs.p95.toFixed(1)} p99 ${r.ackMs.p99.toFixed(1)} max ${r.ackMs.max.toFixed(1)}`);
    console.log(`bot rss MB: start ${r.rssMb.start.toFixed(0)} end ${r.rssMb.end.toFixed(0)} max ${r.rssMb.max.toFixed(0)}`);
  }
} finally {
  bot.kill('SIGTERM');
  await server.close();
  rm(cache, { recursive: true, force: true }, () => undefined);
}
