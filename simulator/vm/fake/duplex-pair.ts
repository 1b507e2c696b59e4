import { Duplex } from 'node:stream';

/**
 * Two connected in-memory byte streams, like the two ends of a socketpair:
 * what is written to one is read from the other, ending one ends the other's
 * readable side, and destroying one ends the other. (Node 20 has no
 * stream.duplexPair.) The fake driver gives one end to the hub as a VM's LAN
 * wire and keeps the other as the guest's card.
 */
export function duplexPair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (other: () => Duplex): Duplex => new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      const o = other();
      if (!o.destroyed) o.push(chunk);
      done();
    },
    final(done) {
      const o = other();
      if (!o.destroyed) o.push(null);
      done();
    },
    destroy(err, done) {
      const o = other();
      // Like a socket whose peer vanished: the other side reads end of file, then closes.
      if (!o.destroyed) { o.push(null); o.end(); }
      done(err);
    },
  });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}
