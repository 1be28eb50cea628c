// Placeholder entry point replaced by the help converter work.
return 0;
