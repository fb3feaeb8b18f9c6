import { InvalidInputError } from './errors';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Id format accepted for projects, quotes and contracts (UUIDs and similar). */
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** UK postcode, loosely (outward code, space optional, inward code). */
const POSTCODE_PATTERN = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

/** Parses a request body as a JSON object; `what` names it in the error message. */
export function parseJsonObject(body: string | null | undefined, what = 'request body'): JsonObject {
  if (body === null || body === undefined || body.trim() === '')
    throw new InvalidInputError(`${what} is empty; send a JSON object`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidInputError(`${what} is not valid JSON`);
  }
  return requireObject(parsed, what);
}

/** Checks that `value` is a plain object. */
export function requireObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError(`${what} must be a JSON object`);
  return value as JsonObject;
}

/** A required, trimmed string field of length 1..maxLength. */
export function requireString(obj: JsonObject, key: string, maxLength = 200): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`${key} is required and must be a non-empty string`);
  if (value.length > maxLength) throw new InvalidInputError(`${key} must be at most ${maxLength} characters`);
  return value.trim();
}

/** An optional string field; `undefined` when absent. */
export function optionalString(obj: JsonObject, key: string, maxLength = 200): string | undefined {
  return obj[key] === undefined ? undefined : requireString(obj, key, maxLength);
}

/** An optional positive integer field; `undefined` when absent. */
export function optionalPositiveInteger(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new InvalidInputError(`${key} must be a positive whole number`);
  return value;
}

/** A record id (project, quote, contract). */
export function requireId(obj: JsonObject, key: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || !ID_PATTERN.test(value))
    throw new InvalidInputError(`${key} must be an id of letters, digits and dashes (1-64 characters)`);
  return value;
}

/** A UK postcode, upper-cased. */
export function requirePostcode(obj: JsonObject, key: string): string {
  const value = requireString(obj, key, 10);
  if (!POSTCODE_PATTERN.test(value)) throw new InvalidInputError(`${key} must be a UK postcode such as SW1A 1AA`);
  return value.toUpperCase();
}
