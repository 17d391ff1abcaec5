"""工作简报: the period (`period`), the sections and their figures (`sections`), the frozen
document (`document`), the workflow (`services`) and the pages (`views`)."""
