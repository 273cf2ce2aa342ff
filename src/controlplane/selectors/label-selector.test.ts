import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiError } from '../errors.js';
import { formatLabelSelector, labelSelectorFromSpec, matchLabels, parseLabelSelector } from './index.js';

function badRequest(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiError(e));
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('parseLabelSelector', () => {
  test('equality, inequality, existence and sets, sorted by key', () => {
    assert.deepEqual(parseLabelSelector('tier != fe, app=web,env==prod,!gone,present,zone in (b,a,b),x notin ()'), [
      { key: 'app', operator: '=', values: ['web'] },
      { key: 'env', operator: '==', values: ['prod'] },
      { key: 'gone', operator: '!', values: [] },
      { key: 'present', operator: 'exists', values: [] },
      { key: 'tier', operator: '!=', values: ['fe'] },
      { key: 'x', operator: 'notin', values: [''] },
      { key: 'zone', operator: 'in', values: ['a', 'b'] },
    ]);
  });

  test('empty text, empty values, prefixed keys, keywords as values, numeric comparisons', () => {
    assert.deepEqual(parseLabelSelector(''), []);
    assert.deepEqual(parseLabelSelector('  '), []);
    assert.deepEqual(parseLabelSelector('a='), [{ key: 'a', operator: '=', values: [''] }]);
    assert.deepEqual(parseLabelSelector('example.com/app in (in,notin)'), [{ key: 'example.com/app', operator: 'in', values: ['in', 'notin'] }]);
    assert.deepEqual(parseLabelSelector('x in (a,,b)'), [{ key: 'x', operator: 'in', values: ['', 'a', 'b'] }]);
    assert.deepEqual(parseLabelSelector('n>5,m<10'), [{ key: 'm', operator: 'lt', values: ['10'] }, { key: 'n', operator: 'gt', values: ['5'] }]);
  });

  test('syntax errors carry Kubernetes\' messages', () => {
    badRequest(() => parseLabelSelector('a=b,'), "found '', expected: identifier after ','");
    badRequest(() => parseLabelSelector('a=b c'), "found 'c', expected: ',' or 'end of string'");
    badRequest(() => parseLabelSelector('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    badRequest(() => parseLabelSelector(',a'), "found ',', expected: !, identifier, or 'end of string'");
    badRequest(() => parseLabelSelector('a in b'), "unable to parse requirement: found 'b' expected: '('");
    badRequest(() => parseLabelSelector('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
    badRequest(() => parseLabelSelector('a (b)'), "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
    badRequest(() => parseLabelSelector('a=(b)'), "unable to parse requirement: found '(', expected: identifier");
    badRequest(() => parseLabelSelector('!'), "unable to parse requirement: found '', expected: identifier");
    badRequest(() => parseLabelSelector('n>x'), /^unable to parse requirement: values\[0\]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer/);
  });

  test('keys and values are validated like Kubernetes label keys and values', () => {
    badRequest(() => parseLabelSelector('-a=b'), /^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'MyName',  or 'my\.name',  or '123-abc', regex used for validation is/);
    badRequest(() => parseLabelSelector(`${'k'.repeat(64)}=v`), /name part must be no more than 63 characters/);
    badRequest(() => parseLabelSelector('Bad_Prefix/a=b'), /prefix part a lowercase RFC 1123 subdomain/);
    badRequest(() => parseLabelSelector('a/b/c'), /a qualified name must consist of/);
    badRequest(() => parseLabelSelector('a=b$'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b\$": a valid label must be an empty string or consist of/);
    badRequest(() => parseLabelSelector(`a=${'v'.repeat(64)}`), /must be no more than 63 characters/);
  });

  test('format gives the canonical text', () => {
    assert.equal(formatLabelSelector(parseLabelSelector('zone in (b,a), app = web ,!gone, x, n>3, m!=1')), 'app=web,!gone,m!=1,n>3,x,zone in (a,b)');
  });
});

describe('matchLabels', () => {
  const labels = { app: 'web', tier: 'fe', n: '7' };
  const cases: [string, boolean][] = [
    ['', true], ['app=web', true], ['app==web', true], ['app=api', false], ['app!=api', true], ['missing!=x', true],
    ['app in (api,web)', true], ['app notin (web)', false], ['missing notin (web)', true], ['missing in (web)', false],
    ['tier', true], ['missing', false], ['!missing', true], ['!tier', false], ['n>5', true], ['n<5', false],
    ['app>1', false], ['app=web,tier=be', false],
  ];
  for (const [selector, expected] of cases) {
    test(`${JSON.stringify(selector)} → ${expected}`, () => assert.equal(matchLabels(parseLabelSelector(selector), labels), expected));
  }
  test('objects without labels', () => {
    assert.equal(matchLabels(parseLabelSelector('!a'), undefined), true);
    assert.equal(matchLabels(parseLabelSelector('a'), undefined), false);
  });
});

describe('labelSelectorFromSpec', () => {
  test('nil selects nothing, empty selects everything', () => {
    assert.equal(labelSelectorFromSpec(undefined), null);
    assert.equal(matchLabels(labelSelectorFromSpec(undefined), { a: 'b' }), false);
    assert.deepEqual(labelSelectorFromSpec({}), []);
    assert.equal(matchLabels(labelSelectorFromSpec({ matchLabels: {}, matchExpressions: [] }), { a: 'b' }), true);
  });

  test('matchLabels and matchExpressions', () => {
    const reqs = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' }, { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(formatLabelSelector(reqs ?? []), 'app=web,env notin (dev),!legacy,team,tier in (be,fe)');
    assert.equal(matchLabels(reqs, { app: 'web', tier: 'fe', team: 'x' }), true);
    assert.equal(matchLabels(reqs, { app: 'web', tier: 'fe', team: 'x', legacy: '1' }), false);
    assert.equal(matchLabels(reqs, { app: 'web', tier: 'fe', team: 'x', env: 'dev' }), false);
  });

  test('invalid selectors are 400s', () => {
    badRequest(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '"Gt" is not a valid label selector operator');
    badRequest(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /for 'in', 'notin' operators, values set can't be empty/);
    badRequest(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values set must be empty/);
    badRequest(() => labelSelectorFromSpec({ matchLabels: { '-bad': 'x' } }), /^key: Invalid value: "-bad"/);
  });
});
