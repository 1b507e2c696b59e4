import { describe, expect, it } from 'vitest';
import { withoutEntrySecrets } from './entry-secrets';

describe('withoutEntrySecrets', () => {
  it('drops a class join code and learner name, keeping the class id, other parameters and the fragment', () => {
    expect(withoutEntrySecrets('https://lab.example.org/model-cluster-profile?class=cls-1&code=J0IN&name=Ana&x=1#step')).toBe('https://lab.example.org/model-cluster-profile?class=cls-1&x=1#step');
  });
  it('drops an invite and a trainer session secret', () => {
    expect(withoutEntrySecrets('http://h:8080/p?lab=lab-1&invite=abc')).toBe('http://h:8080/p?lab=lab-1');
    expect(withoutEntrySecrets('http://h:8080/p?lab=lab-1&session=s3cret')).toBe('http://h:8080/p?lab=lab-1');
  });
  it('leaves an address without secrets alone', () => {
    expect(withoutEntrySecrets('http://h/p?lab=lab-1')).toBeNull();
    expect(withoutEntrySecrets('http://h/p')).toBeNull();
  });
});
