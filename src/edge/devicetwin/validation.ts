// KubeEdge's twin key and value rules (dtcommon.ValidateTwinKey / ValidateTwinValue / ValidateValue)
// and the texts of dttype's errors, which device apps may match on.

/** dttype.ErrorUnmarshal: any payload that is not a well-typed DeviceTwinUpdate. */
export const ERROR_UNMARSHAL = 'Unmarshal update request body failed, please check the request';
/** dttype.ErrorUpdate: the payload has no "twin" object. */
export const ERROR_NO_TWIN = 'Update twin error, key:twin does not exist';
export const ERROR_KEY =
  'The key of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of key should be less than 128 bytes';
export const ERROR_VALUE =
  'The value of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of value should be less than 512 bytes';
/** DealDeviceTwin's text when the device is not on this node. */
export const ERROR_DEVICE_NOT_FOUND = 'update rejected due to the device is not existed';

// Go's class [a-zA-Z0-9-_.,:/@#]: the "-" after 0-9 is a literal, as it is written last here.
const KEY_PATTERN = /^[a-zA-Z0-9_.,:/@#-]{1,128}$/;
const VALUE_PATTERN = /^[a-zA-Z0-9_.,:/@#-]{1,512}$/;

export function isValidTwinKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Empty values pass: KubeEdge skips the pattern for "". */
export function isValidTwinValue(value: string): boolean {
  return value === '' || VALUE_PATTERN.test(value);
}

const INT_PATTERN = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// strconv.ParseFloat: decimal with exponent, or inf/infinity/nan in any case.
const FLOAT_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT_WORDS = /^[+-]?(inf|infinity|nan)$/i;

/**
 * dtcommon.ValidateValue: checks `value` against the twin's type. Returns the error text or undefined.
 * Beyond KubeEdge, "double" parses as a float and "bytes" takes any value: the model types our device
 * objects give twins (KubeEdge would refuse every update of such a twin as "not allowed").
 */
export function validateTypedValue(valueType: string, value: string): string | undefined {
  switch (valueType) {
    case '':
    case 'string':
    case 'bytes':
    case 'deleted':
      return undefined;
    case 'int':
    case 'integer':
      return isInt64(value) ? undefined : 'the value is not int or integer';
    case 'float':
    case 'double':
      return FLOAT_PATTERN.test(value) || FLOAT_WORDS.test(value) ? undefined : 'the value is not float';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'the bool value must be true or false';
    default:
      return 'the value type is not allowed';
  }
}

function isInt64(value: string): boolean {
  if (!INT_PATTERN.test(value)) return false;
  const n = BigInt(value);
  return n >= INT64_MIN && n <= INT64_MAX;
}
