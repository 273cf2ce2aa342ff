// Label key and value rules (qualified names, label values) with Kubernetes' error texts, because clients
// show the API server's message verbatim.

const qualifiedNameFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedName = new RegExp(`^${qualifiedNameFormat}$`);
const dns1123SubdomainFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const dns1123Subdomain = new RegExp(`^${dns1123SubdomainFormat}$`);
const labelValueFormat = `(${qualifiedNameFormat})?`;
const labelValue = new RegExp(`^${labelValueFormat}$`);

/** "<message> (e.g. 'a',  or 'b', regex used for validation is '<re>')", spacing as Kubernetes prints it. */
function regexError(message: string, format: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}

const maxLength = (n: number): string => `must be no more than ${n} characters`;

const qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Problems with a label key ([prefix/]name); empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${regexError(qualifiedNameMessage, qualifiedNameFormat, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const errs: string[] = [];
  const name = parts.length === 2 ? (parts[1] as string) : key;
  if (parts.length === 2) errs.push(...prefixErrors(parts[0] as string));
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLength(63)}`);
  if (!qualifiedName.test(name)) errs.push(`name part ${regexError(qualifiedNameMessage, qualifiedNameFormat, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function prefixErrors(prefix: string): string[] {
  if (prefix.length === 0) return ['prefix part must be non-empty'];
  const errs: string[] = [];
  if (prefix.length > 253) errs.push(`prefix part ${maxLength(253)}`);
  if (!dns1123Subdomain.test(prefix)) {
    errs.push(`prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFormat, 'example.com')}`);
  }
  return errs;
}

/** Problems with a label value; empty when valid (the empty string is a valid value). */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLength(63));
  if (!labelValue.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFormat, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** A field.Invalid error as Kubernetes formats it: `<field>: Invalid value: "<value>": <detail>`. */
export function invalidValue(field: string, value: string, details: string[]): string {
  return `${field}: Invalid value: ${JSON.stringify(value)}: ${details.join('; ')}`;
}
