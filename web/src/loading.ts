// A screen's data: loading, the Chinese message if it failed, and a retry.
import { reactive, ref, type Ref } from "vue";
import type { ApiError } from "./api/client";
import { errorMessage } from "./i18n/labels";
import { fieldErrors } from "./i18n/fieldErrors";

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

type Page<T> = { items: T[]; next_cursor?: string | number | null };

/**
 * A list read page by page (加载更多): `load()` reads the first page again
 * (after a filter changed, or to retry), `load(true)` the next one.
 * `page` asks for the page after `cursor` (null: the first). A refused filter
 * leaves its Chinese reason in `fields` under the query parameter's name.
 */
export function usePages<T>(page: (cursor: string | null) => Promise<{ data?: Page<T>; error?: unknown }>) {
  const list = reactive({ loading: true, more: false, error: "", fields: {}, items: [], next: null }) as {
    loading: boolean;
    more: boolean;
    error: string;
    fields: Record<string, string>;
    items: T[];
    next: string | null;
  };

  async function load(more = false) {
    if (more) list.more = true;
    else {
      list.loading = true;
      list.items = [];
    }
    list.error = "";
    list.fields = {};
    try {
      const { data, error } = await page(more ? list.next : null);
      if (!data) {
        const refused = (error ?? {}) as ApiError;
        list.error = errorMessage(refused.error ?? "ERROR");
        list.fields = fieldErrors(refused.fields as never);
        return;
      }
      list.items.push(...data.items);
      list.next = data.next_cursor == null ? null : String(data.next_cursor);
    } catch {
      list.error = errorMessage("NETWORK");
    } finally {
      list.loading = false;
      list.more = false;
    }
  }

  return { list, load };
}
