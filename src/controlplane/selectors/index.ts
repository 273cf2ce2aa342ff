export { labelSelectorFromSpec, matchLabels, formatLabelSelector, parseLabelSelector } from './label-selector.js';
export type { LabelSelectorSpec } from './label-selector.js';
export type { LabelOperator, LabelRequirement } from './label-requirement.js';
export { escapeFieldValue, parseFieldSelector } from './field-selector.js';
export type { FieldRequirement } from './field-selector.js';
export { compileObjectFilter, defaultFieldGetters } from './object-filter.js';
export type { FieldGetter, ObjectFilterOptions } from './object-filter.js';
