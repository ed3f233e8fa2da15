"use strict"
async function main() { await start(); }
