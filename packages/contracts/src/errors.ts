/** One offending field of a 4xx answer. `field` is a dotted path (`people.3.email`). */
export interface FieldError {
  field: string;
  messages: string[];
}

/** Body of every error answer: `errors` is present on validation failures (400). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
}
