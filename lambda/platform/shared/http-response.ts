import type { APIGatewayProxyResult } from 'aws-lambda';

/** Headers on every API answer: JSON, never cached, no sniffing. */
const HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** A JSON API answer. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: HEADERS, body: JSON.stringify(body) };
}

/** An error answer: a message a client can act on, and the request id to quote to support. Never a stack trace. */
export function errorResponse(statusCode: number, message: string, requestId?: string): APIGatewayProxyResult {
  return jsonResponse(statusCode, { message, ...(requestId ? { requestId } : {}) });
}
