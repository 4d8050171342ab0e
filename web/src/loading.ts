// A screen's data: loading, the Chinese message if it failed, and a retry.
import { ref, type Ref } from "vue";
import type { ApiError } from "./api/client";
import { errorMessage } from "./i18n/labels";

export function useLoad<T>(fetcher: () => Promise<{ data?: T; error?: unknown }>) {
  const data = ref<T>() as Ref<T | undefined>;
  const loading = ref(true);
  const error = ref("");

  async function load() {
    loading.value = true;
    error.value = "";
    try {
      const answer = await fetcher();
      if (answer.error !== undefined) error.value = errorMessage((answer.error as ApiError).error);
      else data.value = answer.data;
    } catch {
      error.value = errorMessage("NETWORK");
    } finally {
      loading.value = false;
    }
  }

  load();
  return { data, loading, error, load };
}
