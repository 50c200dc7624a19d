import { describeMatrix } from "./checkout.matrix";

describeMatrix("ok");
