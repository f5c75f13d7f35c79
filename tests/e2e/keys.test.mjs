// Signed files between two offices: each sees the other's fingerprint (the same digits the other
// reads out from its own 已知机构 page); an altered file is refused; a file signed by another key
// is refused until a person accepts the key; a rotated key is taken without asking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, setUpOffice, exportAs, importInto, OUT, officeIn, addItemAt } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const office = (name, width) => officeIn(browser, srv.url, name, width);
const addItem = (page, title) => addItemAt(page, srv.url, title);



// Reached from the exchange page, as staff would find it.
async function myFingerprint(page) {
  await page.goto(srv.url + '#/exchange');
  await page.click('[data-test=to-known]');
  await page.waitForSelector('[data-test=my-fingerprint]');
  return (await page.textContent('[data-test=my-fingerprint]')).trim();
}

async function knownRow(page, name) {
  await page.goto(srv.url + '#/known');
  await page.waitForSelector('[data-test=known-offices]');
  const row = page.locator('[data-test=known-office]', { hasText: name });
  return (await row.textContent()).replace(/\s+/g, ' ');
}

// What the app computes, done again here from the format's documentation (docs/signatures.md).
const sha256 = (...parts) => { const h = crypto.createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const hexKey = (k) => Buffer.from(k.export({ format: 'jwk' }).x, 'base64url').toString('hex');
const fingerprint = (keyHex) => sha256(keyHex).readBigUInt64BE(0).toString().padStart(20, '0').match(/.{4}/g).join(' ');

// Re-signs a file as its sender with another key: chain re-linked, head and file signed anew.
function signWith(file, keyPair) {
  const b = JSON.parse(fs.readFileSync(file, 'utf8'));
  const pub = hexKey(keyPair.publicKey);
  const sign = (msg) => crypto.sign(null, Buffer.from(msg), keyPair.privateKey).toString('hex');
  for (const h of b.heads.filter((h) => h.office === b.from.office)) {
    let hash = Buffer.from(h.prev, 'hex');
    for (const c of b.changes.filter((c) => c.dot.startsWith(h.office + ':'))) hash = sha256(hash, JSON.stringify(c));
    h.hash = hash.toString('hex');
    h.key = pub;
    h.sig = sign(`reform-registry/head/v1\n${h.office}\n${h.seq}\n${h.hash}`);
  }
  const { digest, signatures, ...body } = b;
  b.digest = 'sha256:' + sha256(JSON.stringify(body)).toString('hex');
  b.signatures = [{ office: b.from.office, alg: 'ed25519', key: pub, sig: sign('reform-registry/file/v1\n' + b.digest) }];
  return { text: JSON.stringify(b, null, 2), fp: fingerprint(pub) };
}

test('two offices exchange signed files and see each other\'s fingerprints', async () => {
  const a = await office('平原县委改革办');
  const b = await office('德州市委改革办', 1024);
  const fpA = await myFingerprint(a.page);
  const fpB = await myFingerprint(b.page);
  assert.match(fpA, /^\d{4}( \d{4}){4}$/);
  assert.notEqual(fpA, fpB);

  // A's first file: B is told the key will be registered, with A's fingerprint.
  await addItem(a.page, '扩大农村劳动力就业集成改革试点');
  const f1 = await exportAs(a.page, srv.url, 'keys-a1.reform.json');
  const signed = JSON.parse(fs.readFileSync(f1.path, 'utf8'));
  assert.equal(signed.version, 2);
  assert.equal(signed.signatures[0].alg, 'ed25519');
  assert.equal(fingerprint(signed.signatures[0].key), fpA, 'the file carries the key A reads out');
  await importInto(b.page, srv.url, f1.path);
  const sig = await b.page.textContent('[data-test=import-signature]');
  assert.ok(sig.includes(fpA) && sig.includes('首次收到'), sig);
  await b.page.screenshot({ path: path.join(OUT, 'import-signed-first.png') });
  await b.page.click('[data-test=apply-import]');
  await b.page.waitForSelector('[data-test=import-done]');
  await b.page.waitForSelector('.save.ok');
  const row = await knownRow(b.page, '平原县委改革办');
  assert.ok(row.includes(fpA) && row.includes('首次使用时登记'), row);

  // B's file to A: A sees B's fingerprint.
  const f2 = await exportAs(b.page, srv.url, 'keys-b1.reform.json', '平原县委改革办');
  await importInto(a.page, srv.url, f2.path);
  assert.ok((await a.page.textContent('[data-test=import-signature]')).includes(fpB));
  await a.page.click('[data-test=apply-import]');
  await a.page.waitForSelector('[data-test=import-done]');
  await a.page.waitForSelector('.save.ok');
  assert.ok((await knownRow(a.page, '德州市委改革办')).includes(fpB));
  await a.page.screenshot({ path: path.join(OUT, 'known-offices-zh-1366.png'), fullPage: true });
  await b.page.goto(srv.url + '#/known');
  await b.page.waitForSelector('[data-test=known-office]');
  await b.page.screenshot({ path: path.join(OUT, 'known-offices-zh-1024.png'), fullPage: true });
  await a.page.click('button.lang');
  await a.page.waitForSelector('text=Known offices and their signing keys');
  await a.page.screenshot({ path: path.join(OUT, 'known-offices-en-1366.png'), fullPage: true });
  await a.page.click('button.lang');

  // Edited in a text editor, checksum recomputed: the signature gives it away.
  await addItem(a.page, '1分钱公交');
  const f3 = await exportAs(a.page, srv.url, 'keys-a2.reform.json', '德州市委改革办', true);
  const edited = JSON.parse(fs.readFileSync(f3.path, 'utf8'));
  edited.changes[0].set.title.v = '伪造的标题';
  const { digest, signatures, ...body } = edited;
  edited.digest = 'sha256:' + sha256(JSON.stringify(body)).toString('hex');
  const forged = path.join(OUT, 'keys-forged.reform.json');
  fs.writeFileSync(forged, JSON.stringify(edited, null, 2));
  await importInto(b.page, srv.url, forged);
  assert.match(await b.page.textContent('[data-test=import-error]'), /签名无法验证.*未导入任何内容/);

  // The same content signed by another key: refused, naming both fingerprints, until accepted.
  const other = crypto.generateKeyPairSync('ed25519');
  const resigned = signWith(f3.path, other);
  const p = path.join(OUT, 'keys-other-key.reform.json');
  fs.writeFileSync(p, resigned.text);
  await importInto(b.page, srv.url, p);
  const refusal = await b.page.textContent('[data-test=import-error]');
  assert.ok(refusal.includes(fpA) && refusal.includes(resigned.fp) && refusal.includes('接受新密钥'), refusal);
  await b.page.screenshot({ path: path.join(OUT, 'import-key-changed.png') });
  await b.page.click('[data-test=accept-key]');
  await b.page.waitForSelector('[data-test=import-preview]');
  assert.ok((await b.page.textContent('[data-test=import-signature]')).includes(resigned.fp));
  await b.page.click('[data-test=apply-import]');
  await b.page.waitForSelector('[data-test=import-done]');
  await b.page.waitForSelector('.save.ok');
  const accepted = await knownRow(b.page, '平原县委改革办');
  assert.ok(accepted.includes(resigned.fp) && accepted.includes('新密钥已人工确认'), accepted);

  // Back to A's own key, rotated on A's 已知机构 page: B takes it without asking (the rotation
  // is signed by A's old key — but B now holds the accepted key, so it asks; a fresh office C
  // that knew A's first key takes the rotation).
  const c = await office('庆云县委改革办');
  await importInto(c.page, srv.url, f1.path);
  await c.page.click('[data-test=apply-import]');
  await c.page.waitForSelector('[data-test=import-done]');
  await c.page.waitForSelector('.save.ok');
  await a.page.goto(srv.url + '#/known');
  await a.page.click('[data-test=rotate-key]');
  await a.page.click('[data-test=confirm-dialog][open] [data-test=dialog-confirm]');
  await a.page.waitForSelector('[data-test=known-message]');
  await a.page.waitForSelector('.save.ok');
  const fpA2 = await myFingerprint(a.page);
  assert.notEqual(fpA2, fpA);
  const f4 = await exportAs(a.page, srv.url, 'keys-a-rotated.reform.json');
  await importInto(c.page, srv.url, f4.path);
  const rotated = await c.page.textContent('[data-test=import-signature]');
  assert.ok(rotated.includes(fpA2) && rotated.includes('换用新密钥'), rotated);

  for (const o of [a, b, c]) assert.deepEqual(o.errors, []);
  for (const o of [a, b, c]) await o.ctx.close();
});
