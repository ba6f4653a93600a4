/* fuzz_driver.h: one libFuzzer driver for every source parser.  Each
 * target names its plugin's options; the driver runs the whole plugin
 * (create, fetch, destroy) on the mock host, every request answered with
 * the fuzzer's bytes, so the parser is reached the way a real run reaches
 * it, paging and error paths included. */
#ifndef PW_FUZZ_DRIVER_H
#define PW_FUZZ_DRIVER_H

/* NULL-terminated option sets (JSON); the input's last byte picks one, so
 * one corpus reaches every mode of a parser. */
extern const char *const fuzz_options[];

#endif
