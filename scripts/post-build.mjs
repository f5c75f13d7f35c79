// Trunk's post-build hook, one script so its steps run in order:
// 1. the page's Content-Security-Policy (csp.mjs, which rewrites index.html);
// 2. the service worker's build id (a digest of every other file, so a new build is a new cache
//    and browsers see a changed sw.js) and the list of every file it keeps for offline use;
// 3. a .br (brotli, best) and a .gz (gzip -9) beside every file, for hosts that serve
//    precompressed files (README: nginx, Caddy, IIS). The originals stay for hosts that do not.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';

await import('./csp.mjs');

const dir = process.env.TRUNK_STAGING_DIR || 'dist';
const names = fs.readdirSync(dir).filter((f) => !/\.(br|gz)$/.test(f) && fs.statSync(path.join(dir, f)).isFile()).sort();
const digest = crypto.createHash('sha256');
for (const f of names.filter((f) => f !== 'sw.js')) digest.update(f).update(fs.readFileSync(path.join(dir, f)));
const build = digest.digest('hex').slice(0, 12);
const files = names.filter((f) => f !== 'sw.js' && f !== 'index.html');
const swFile = path.join(dir, 'sw.js');
const sw = fs.readFileSync(swFile, 'utf8');
if (!sw.includes("'__BUILD__'") || !sw.includes('/*__FILES__*/')) throw new Error('sw.js: build id or file list placeholder missing');
fs.writeFileSync(swFile, sw.replace("'__BUILD__'", `'${build}'`).replace('/*__FILES__*/', files.map((f) => `'${f}'`).join(', ')));
console.log(`service worker: build ${build}, ${files.length} files kept offline`);

let raw = 0, br = 0, gz = 0;
for (const f of names) {
  const p = path.join(dir, f);
  const data = fs.readFileSync(p);
  const b = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  const g = zlib.gzipSync(data, { level: 9 });
  fs.writeFileSync(p + '.br', b);
  fs.writeFileSync(p + '.gz', g);
  raw += data.length; br += b.length; gz += g.length;
}
console.log(`precompressed ${names.length} files: ${raw} B raw, ${br} B brotli, ${gz} B gzip`);
