/* Force-included (gcc -include) into every C file of the CPython build in the Debian 11 root.
 * glibc 2.29 added new symbol versions of exp, log, pow, exp2 and log2 (faster, same results
 * for finite input); binding the calls to the old GLIBC_2.2.5 versions lets libpython load on
 * glibc 2.28 (Astra Linux SE 1.7, RED OS 7.3). The old versions are still exported by every
 * later glibc. packaging/linux/glibc_gate.py checks the result. */
#if defined(__x86_64__) && defined(__linux__) && !defined(__ASSEMBLER__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
#endif
