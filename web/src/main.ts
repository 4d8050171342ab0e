import { createApp } from "vue";
import "element-plus/dist/index.css";
import "./styles.css";
import App from "./App.vue";
import { router } from "./router";
import { elementComponents } from "./element";

const app = createApp(App);
for (const component of elementComponents) app.use(component);
app.use(router);
app.mount("#app");
