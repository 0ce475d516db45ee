/* version.h — the one place cairn's version is written. */
#ifndef CAIRN_VERSION_H
#define CAIRN_VERSION_H
#define CAIRN_VERSION "0.1.0"
#endif
