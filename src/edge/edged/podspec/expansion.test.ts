import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, expandCommand, mappingFor } from './expansion.js';

const vars = mappingFor(new Map([['A', 'x'], ['EMPTY', '']]));

test('$(VAR) is replaced when known and kept verbatim when not', () => {
  assert.equal(expand('$(A)-$(B)', vars), 'x-$(B)');
  assert.equal(expand('$(EMPTY)', vars), '');
  assert.equal(expand('pre$(A)post', vars), 'prexpost');
});

test('$$ escapes, lone or trailing $ and incomplete references stay', () => {
  assert.equal(expand('$$(A)', vars), '$(A)');
  assert.equal(expand('$$$(A)', vars), '$x');
  assert.equal(expand('cost $5', vars), 'cost $5');
  assert.equal(expand('end$', vars), 'end$');
  assert.equal(expand('$(A', vars), '$(A');
  assert.equal(expand('$()', vars), '$()');
});

test('expandCommand expands command and args against the env', () => {
  const out = expandCommand(
    { name: 'c', command: ['sh', '-c', 'echo $(MSG)'], args: ['$(MSG)', '$$(MSG)', '$(NOPE)'] },
    [{ key: 'MSG', value: 'hi' }],
  );
  assert.deepEqual(out, { command: ['sh', '-c', 'echo hi'], args: ['hi', '$(MSG)', '$(NOPE)'] });
  assert.deepEqual(expandCommand({ name: 'c' }, []), { command: [], args: [] });
});
