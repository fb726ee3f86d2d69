"""keras.tree: utilities for nested structures (flatten, map_structure, pack_sequence_as, ...)."""

from capas.keras.tree.tree_api import MAP_TO_NONE as MAP_TO_NONE
from capas.keras.tree.tree_api import assert_same_paths as assert_same_paths
from capas.keras.tree.tree_api import assert_same_structure as assert_same_structure
from capas.keras.tree.tree_api import flatten as flatten
from capas.keras.tree.tree_api import flatten_with_path as flatten_with_path
from capas.keras.tree.tree_api import is_nested as is_nested
from capas.keras.tree.tree_api import lists_to_tuples as lists_to_tuples
from capas.keras.tree.tree_api import map_shape_structure as map_shape_structure
from capas.keras.tree.tree_api import map_structure as map_structure
from capas.keras.tree.tree_api import map_structure_up_to as map_structure_up_to
from capas.keras.tree.tree_api import pack_sequence_as as pack_sequence_as
from capas.keras.tree.tree_api import traverse as traverse
