import { describeMatrix } from "./checkout.matrix";

describeMatrix("outage");
