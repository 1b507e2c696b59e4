// A picture that throws leaves one line in its place, not a broken lab part.
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PictureBoundary } from './PictureBoundary';

describe('PictureBoundary', () => {
  it('shows its child until it throws, then one line naming the picture and the error', () => {
    const child = createElement('svg', { 'data-x': 1 });
    const boundary = new PictureBoundary({ what: 'cluster', children: child });
    expect(renderToString(boundary.render() as ReactElement)).toContain('<svg data-x="1">');

    boundary.state = PictureBoundary.getDerivedStateFromError(new TypeError("Cannot read properties of undefined (reading 'join')"));
    const html = renderToString(boundary.render() as ReactElement).replaceAll('<!-- -->', '');
    expect(html).toContain('data-picture-failed');
    expect(html).toContain('The cluster could not be drawn');
    expect(html).toContain('reading &#x27;join&#x27;');
    expect(PictureBoundary.getDerivedStateFromError('not an Error').error.message).toBe('not an Error');
  });
});
