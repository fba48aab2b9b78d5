#!/usr/bin/env node
/** The strikes CLI (placeholder). */
console.log('strikes: not yet')
