-- The database a build writes, attached with small row groups ({path}: a quoted file path;
-- {row_group_size}: a number from code; ATTACH takes no bound parameters). See
-- bestbits/load/build.py's BUILD_ROW_GROUP_SIZE for why the groups are small.
ATTACH {path} AS build (ROW_GROUP_SIZE {row_group_size});
USE build;
