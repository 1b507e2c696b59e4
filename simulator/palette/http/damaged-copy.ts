// The registry drill's damage (registry-faults.ts): a blob's bytes as a damaged registry would serve
// them, the same length with the byte in the middle inverted, so a host that checks the sha256 finds
// the mismatch, and one that did not would unpack a broken archive.
import { Transform } from 'node:stream';

/** The stream of a `size`-byte blob with byte floor(size / 2) inverted; a 0-byte blob is left as it is. */
export function damagedCopy(size: number): Transform {
  const at = Math.floor(size / 2);
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (size > 0 && at >= offset && at < offset + chunk.length) {
        const copy = Buffer.from(chunk);
        copy[at - offset] = copy[at - offset]! ^ 0xff;
        chunk = copy;
      }
      offset += chunk.length;
      done(null, chunk);
    },
  });
}
