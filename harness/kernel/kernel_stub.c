/* placeholder: the implementation replaces this file */
#include <tyrc/kernel.h>
