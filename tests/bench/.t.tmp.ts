import { benchImages } from "./images";
await benchImages({ baseUrl: "http://127.0.0.1:1" });
