// Whether the screen is phone-narrow, for layouts CSS alone cannot switch
// (e.g. Element Plus descriptions' column count).
import { ref } from "vue";

const query = typeof window !== "undefined" && window.matchMedia ? window.matchMedia("(max-width: 600px)") : null;
export const narrow = ref(query?.matches ?? false);
query?.addEventListener("change", (e) => {
  narrow.value = e.matches;
});
