// Turning API and network failures into sentences a person understands.

export class ApiError extends Error {
  code: string;
  status: number;
  constructor(message: string, code: string, status = 200) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'That API key was not accepted. Check that you copied the whole key and that it has not been revoked.',
  FORBIDDEN: 'This key is not allowed to do that.',
  INVALID_ARGUMENT: 'The request was not accepted. Please check the details and try again.',
  NOT_FOUND: 'We could not find that item. It may have been removed — refresh the page and try again.',
  INSUFFICIENT_CREDITS: 'There are not enough credits left for this. Buy a credits bundle to top up.',
  CREDIT_LIMIT_EXCEEDED: 'This would go over a hard monthly credit limit. Raise or remove the limit to continue.',
  IDEMPOTENCY_KEY_REUSED: 'This request was already submitted with different details. Please try again.',
  RATE_LIMITED: 'Too many requests in a short time. Wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Please try again in a moment.',
  NETWORK: 'We could not reach the server. Check your connection and try again.',
};

export function humanError(err: unknown): string {
  if (err instanceof ApiError) {
    return MESSAGES[err.code] ?? 'Something went wrong. Please try again.';
  }
  if (err instanceof TypeError) return MESSAGES.NETWORK;
  return 'Something went wrong. Please try again.';
}

export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'UNAUTHENTICATED';
}
