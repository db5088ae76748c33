/*
 * text_file.h -- reading a whole text file into memory.
 */
#ifndef AWAITLAB_TEXT_FILE_H
#define AWAITLAB_TEXT_FILE_H

/* The file's text, NUL-terminated, to free(); "" for an empty file, NULL if unreadable. */
char *text_file_read(const char *path);

#endif /* AWAITLAB_TEXT_FILE_H */
