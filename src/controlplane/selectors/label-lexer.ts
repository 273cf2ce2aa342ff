// Tokens of the label selector language (`a=b,c in (x,y),!d`), scanned like Kubernetes' lexer:
// identifiers run until whitespace or one of = ! ( ) , > <, and operators are the longest known symbol.

export type TokenKind = 'identifier' | 'end' | ',' | '(' | ')' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'error';

export interface Token { kind: TokenKind; text: string }

const symbolTokens = new Set<string>([',', '(', ')', '!', '=', '==', '!=', '>', '<']);
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isSpace(text[pos] as string)) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    const scanned = isSpecial(text[pos] as string) ? scanSymbol(text, pos) : scanWord(text, pos);
    tokens.push(scanned.token);
    pos = scanned.next;
  }
}

function scanWord(text: string, start: number): { token: Token; next: number } {
  let end = start;
  while (end < text.length && !isSpecial(text[end] as string) && !isSpace(text[end] as string)) end++;
  const word = text.slice(start, end);
  const kind: TokenKind = word === 'in' || word === 'notin' ? word : 'identifier';
  return { token: { kind, text: word }, next: end };
}

/** Longest run of special characters that still forms a known operator. */
function scanSymbol(text: string, start: number): { token: Token; next: number } {
  let best: string | undefined;
  let end = start;
  while (end < text.length && isSpecial(text[end] as string)) {
    const candidate = text.slice(start, end + 1);
    if (symbolTokens.has(candidate)) best = candidate;
    else if (best !== undefined) break;
    end++;
  }
  if (best === undefined) return { token: { kind: 'error', text: `error expected: keyword found '${text.slice(start, end)}'` }, next: end };
  return { token: { kind: best as TokenKind, text: best }, next: start + best.length };
}
