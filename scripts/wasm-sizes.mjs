// Where a wasm binary's bytes go: sums each function's code size by crate and module path, from
// the binary's name section (so run it on an unstripped build, e.g. the cargo output before
// wasm-bindgen and wasm-opt). Usage: node scripts/wasm-sizes.mjs FILE.wasm [depth] [top]
import { readFileSync } from 'node:fs';

const [file, depthArg = '2', topArg = '40'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/wasm-sizes.mjs FILE.wasm [depth] [top]');
  process.exit(2);
}
const buf = readFileSync(file);
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const str = () => {
  const n = u32();
  const s = buf.toString('utf8', pos, pos + n);
  pos += n;
  return s;
};

let imported = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    // Imported functions come first in the function index space.
    const count = u32();
    for (let i = 0; i < count; i++) {
      str();
      str();
      const kind = buf[pos++];
      if (kind === 0) { u32(); imported++; }
      else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); }
      else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; u32(); }
    }
  } else if (id === 10) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      const n = u32();
      bodies.push(n);
      pos += n;
    }
  } else if (id === 0) {
    const name = str();
    sections.push([`custom ${name}`, end - pos]);
    if (name === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const len = u32();
        const subEnd = pos + len;
        if (sub === 1) {
          const count = u32();
          for (let i = 0; i < count; i++) {
            const idx = u32();
            names.set(idx, str());
          }
        }
        pos = subEnd;
      }
    }
  }
  if (id !== 0) sections.push([`section ${id}`, size]);
  pos = end;
}

// Legacy Rust mangling (_ZN…E) to a path; v0 and plain names are kept as they are.
const demangle = (n) => {
  if (!n.startsWith('_ZN')) return n;
  const parts = [];
  let i = 3;
  while (i < n.length && n[i] !== 'E') {
    let len = 0;
    while (n[i] >= '0' && n[i] <= '9') len = len * 10 + Number(n[i++]);
    if (!len) break;
    parts.push(n.slice(i, i + len));
    i += len;
  }
  return parts
    .filter((p) => !/^h[0-9a-f]{16}$/.test(p))
    .join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ')
    .replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}').replace(/\.\./g, '::')
    .replace(/\$RF\$/g, '&').replace(/\$C\$/g, ',');
};
// The crate and module a function belongs to: inside `<X as Trait>` the implementing type decides.
const owner = (path, depth) => {
  let p = path.replace(/^_?</, '');
  p = p.replace(/^&(mut )?/, '');
  return p.split(/::|[<> ,]/).filter(Boolean).slice(0, depth).join('::');
};

const depth = Number(depthArg);
const groups = new Map();
const funcs = [];
let total = 0;
bodies.forEach((size, i) => {
  const name = demangle(names.get(i + imported) ?? `func${i + imported}`);
  const key = owner(name, depth);
  groups.set(key, (groups.get(key) ?? 0) + size);
  funcs.push([name, size]);
  total += size;
});
const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KB`;
console.log(`${file}: ${buf.length} bytes, code ${total} bytes in ${bodies.length} functions`);
for (const [name, size] of sections.sort((a, b) => b[1] - a[1])) console.log(`${kb(size)}  ${name}`);
console.log(`\nby owner (depth ${depth}):`);
for (const [key, size] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg)))
  console.log(`${kb(size)}  ${(100 * size / total).toFixed(1).padStart(5)}%  ${key}`);
console.log('\nlargest functions:');
for (const [name, size] of funcs.sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${kb(size)}  ${name.slice(0, 140)}`);
