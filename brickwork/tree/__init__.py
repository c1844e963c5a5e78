"""``brickwork.tree``: nested structures (as ``keras.tree``), on optree."""

from brickwork.tree.tree_api import (  # noqa: F401
    MAP_TO_NONE,
    assert_same_paths,
    assert_same_structure,
    flatten,
    flatten_with_path,
    is_nested,
    lists_to_tuples,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
    pack_sequence_as,
    register_tree_node_class,
    traverse,
)
