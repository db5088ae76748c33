/*
 * text_file.c -- reading a whole text file into memory.
 */
#include "text_file.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *text_file_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t capacity = 0;
    /* A text file holds no NUL byte, so reading up to one reads it whole. */
    ssize_t length = getdelim(&text, &capacity, '\0', f);
    bool empty = length < 0 && feof(f) && !ferror(f);
    fclose(f);
    if (length < 0) {
        free(text);
        return empty ? strdup("") : NULL;
    }
    return text;
}
