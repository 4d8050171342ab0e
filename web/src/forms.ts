// What every form does on submit: one Idempotency-Key per filling (a double
// tap or a retry replays, never duplicates), the API's field errors in Chinese
// next to their fields, and a Chinese message for everything else.
import { reactive } from "vue";
import { newIdempotencyKey, type ApiError } from "./api/client";
import { fieldErrors } from "./i18n/fieldErrors";
import { errorMessage } from "./i18n/labels";

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function useSubmit() {
  const state = reactive({
    key: newIdempotencyKey(),
    submitting: false,
    fields: {} as Record<string, string>,
    message: "",
  });

  async function submit<T>(send: (idempotencyKey: string) => Promise<Answer<T>>): Promise<T | undefined> {
    if (state.submitting) return undefined;
    state.submitting = true;
    state.fields = {};
    state.message = "";
    try {
      const { data, error, response } = await send(state.key);
      // The gateway keeps the first answer under a key: once the request was
      // answered (done or refused), the corrected form is a new request with a
      // new key. Only an unanswered or failed attempt (network, 5xx) keeps it.
      if (response.status < 500) state.key = newIdempotencyKey();
      if (data !== undefined && !error) return data;
      const refused = (error ?? {}) as ApiError;
      state.fields = fieldErrors(refused.fields as never);
      state.message = errorMessage(refused.error);
      return undefined;
    } catch {
      state.message = errorMessage("NETWORK"); // the same key is kept: resending cannot duplicate
      return undefined;
    } finally {
      state.submitting = false;
    }
  }

  return { state, submit };
}
