#!/usr/bin/env node
await main();
