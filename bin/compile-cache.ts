import * as nodeModule from 'module';

// Node.js's own compile cache (Node.js 22.1 and later, https://nodejs.org/api/module.html#moduleenablecompilecachecachedir):
// V8 keeps the code it compiles for each module in the operating system's temporary directory, so a
// later synth loads aws-cdk-lib and the app without compiling them again. Older Node.js has no such
// function, and the app loads as it would without the cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
