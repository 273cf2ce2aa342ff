// MQTT 3.1.1 topic rules (§4.7), checked before a name or filter reaches a broker: aedes answers an
// invalid one with an error, mqtt.js with a thrown or failed call, and a bad filter from the cloud
// must not end up persisted in sub_topics. Pure and allocation-free (hot path of publish()).

/** MQTT strings are length-prefixed with 16 bits; UTF-8 may take up to 3 bytes per UTF-16 unit. */
const MAX_TOPIC_UNITS = 65_535 / 3;

/** A topic a PUBLISH may carry: non-empty, no + or # wildcard, no NUL. */
export function isValidTopicName(topic: string): boolean {
  const n = topic.length;
  if (n === 0 || (n > MAX_TOPIC_UNITS && Buffer.byteLength(topic) > 65_535)) return false;
  for (let i = 0; i < n; i++) {
    const c = topic.charCodeAt(i);
    if (c === 0x2b /* + */ || c === 0x23 /* # */ || c === 0) return false;
  }
  return true;
}

/** A filter a SUBSCRIBE may carry: + fills a whole level, # is a whole last level, no NUL. */
export function isValidTopicFilter(filter: string): boolean {
  const n = filter.length;
  if (n === 0 || (n > MAX_TOPIC_UNITS && Buffer.byteLength(filter) > 65_535)) return false;
  for (let i = 0; i < n; i++) {
    const c = filter.charCodeAt(i);
    if (c === 0) return false;
    if (c !== 0x2b && c !== 0x23) continue;
    const levelStart = i === 0 || filter.charCodeAt(i - 1) === 0x2f; /* / */
    const levelEnd = i === n - 1 || filter.charCodeAt(i + 1) === 0x2f;
    if (!levelStart || !levelEnd) return false;
    if (c === 0x23 && i !== n - 1) return false;
  }
  return true;
}
