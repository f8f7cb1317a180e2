import assert from 'node:assert/strict';
import { test } from 'node:test';

import { beside } from './verdict.mjs';

test('a value just under its bound is printed under it, not rounded onto it', () => {
  assert.equal(beside(0.8986, 0.9), '0.899');
  assert.equal(beside(0.69951, 0.7), '0.6995');
});

test('a value just over its bound is printed over it', () => {
  assert.equal(beside(0.9004, 0.9), '0.9004');
  assert.equal(beside(0.70049, 0.7), '0.7005');
});

test('a value clear of its bound, or on it, keeps the usual two decimals', () => {
  assert.equal(beside(0.7612, 0.7), '0.76');
  assert.equal(beside(0.6443, 0.7), '0.64');
  assert.equal(beside(0.9, 0.9), '0.90');
  assert.equal(beside(null, 0.9), '—');
});
