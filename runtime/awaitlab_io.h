/*
 * awaitlab_io.h -- real I/O on the runtime: blocking work on threads,
 * subprocesses, HTTP.  Included by awaitlab.h; programs include that.
 */
#ifndef AWAITLAB_IO_H
#define AWAITLAB_IO_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* AWAITLAB_IO_H */
