import { describeMatrix } from "./checkout-matrix.fixtures";

describeMatrix("ok");
