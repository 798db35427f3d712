import main from "../../data-loaders/steer.js";
process.stdout.write(await main());
