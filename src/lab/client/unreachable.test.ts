import { describe, expect, it } from 'vitest';
import { unreachableAdvice } from './unreachable';

describe('unreachableAdvice', () => {
  it('tells a solo reader to start the lab, and a learner in a room to check the network and ask the trainer', () => {
    expect(unreachableAdvice('http://127.0.0.1:4100')).toMatch(/npm start/);
    expect(unreachableAdvice('http://localhost:4100')).toMatch(/npm start/);
    expect(unreachableAdvice('https://lab.example.org/api')).toMatch(/network connection.*ask your trainer/);
    expect(unreachableAdvice('https://lab.example.org/api')).not.toMatch(/npm start/);
  });
});
