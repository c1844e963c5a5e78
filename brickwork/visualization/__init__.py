"""``brickwork.visualization`` (Keras's ``keras.visualization``): images, boxes and masks drawn with matplotlib.

``draw_*`` return the images with the annotations painted in (uint8 NumPy arrays); ``plot_*_gallery`` lay
images out in a grid and return the matplotlib ``Figure`` (saved to ``path`` or shown). matplotlib is
imported only when one of them runs.

Example:
>>> from brickwork import visualization
>>> visualization.plot_image_gallery(np.random.rand(4, 32, 32, 3), value_range=(0, 1), path="gallery.png")
"""

from brickwork.visualization.draw_bounding_boxes import draw_bounding_boxes  # noqa: F401
from brickwork.visualization.draw_segmentation_masks import draw_segmentation_masks  # noqa: F401
from brickwork.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery  # noqa: F401
from brickwork.visualization.plot_image_gallery import plot_image_gallery  # noqa: F401
from brickwork.visualization.plot_segmentation_mask_gallery import plot_segmentation_mask_gallery  # noqa: F401
