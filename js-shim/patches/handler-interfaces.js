// The interfaces whose prototypes own on* event handler accessors (the global object's own are
// found on it directly). Fixed lists, because discovering them by walking every global
// constructor makes the engine create each of its ~1000 lazily built interface objects. Names the
// platform lacks are skipped. tests/browser/fixtures/handler-interfaces.html runs that walk in the
// browser and fails when it finds an owner these lists miss; a new on* interface must be added.
//
// An on* handler needs its wrapper only where its event can run in a context other than the one
// the browser dispatches it in (empty, or the synchronous dispatcher's), so install patches
// - on the global object and on nodes, the handlers of the event types a call can cause: load,
//   error, select and focus everywhere (select bubbles; autofocus works on SVG and MathML too; the
//   global error and unhandledrejection), and the toggle, dialog and media events on HTML elements
//   (they fire at the element only);
// - on the objects whose every event reports on a JS call (XHR, FileReader, IndexedDB,
//   WebSocket, EventSource, workers), all their handlers.
// Every other handler fires only events that run in the empty context, unwrapped or not. A
// fallback context (captureFallbackContext) is the one thing that changes that, so the rest
// (OTHER_HANDLER_INTERFACES and the nodes' other handlers) is patched just before its first call:
// a handler set earlier has no fallback, and one set inside it gets its wrapper. Building those
// ~100 interface objects and ~500 accessors was most of the rest of the start-up time.

import { LOAD_EVENTS, TOGGLE_EVENTS } from "./attributes.js";
import { CAUSED_MEDIA_EVENTS } from "./media.js";

/** The types a typed cause record (causes.js) lists that also reach the document, the window and
 * SVG or MathML elements (bubbling, autofocus, the global error events). A new one must be added. */
export const CAUSED_EVENT_TYPES = [...LOAD_EVENTS, "focus", "select", "unhandledrejection"];

/** The caused types that only fire at HTML elements and do not bubble (toggles, dialogs, media). */
export const ELEMENT_EVENT_TYPES = [...TOGGLE_EVENTS, ...CAUSED_MEDIA_EVENTS];

/** The global object's and the nodes' interfaces: their handlers of CAUSED_EVENT_TYPES at install. */
export const NODE_HANDLER_INTERFACES = (
  "Window Document Element SVGElement MathMLElement ShadowRoot HTMLBodyElement HTMLFrameSetElement " +
  "HTMLCameraElement HTMLMicrophoneElement HTMLGeolocationElement HTMLUserMediaElement " +
  "WorkerGlobalScope DedicatedWorkerGlobalScope SharedWorkerGlobalScope ServiceWorkerGlobalScope"
).split(" ");

/** HTML elements: their handlers of CAUSED_EVENT_TYPES and ELEMENT_EVENT_TYPES at install. */
export const ELEMENT_HANDLER_INTERFACES = ["HTMLElement", "HTMLMediaElement", "HTMLVideoElement"];

/** Objects whose every event reports on a JS call: all their handlers at install. */
export const REPORTING_HANDLER_INTERFACES = (
  "XMLHttpRequestEventTarget XMLHttpRequest WebSocket EventSource Worker SharedWorker FileReader " +
  "IDBRequest IDBOpenDBRequest IDBTransaction IDBDatabase"
).split(" ");

export const OTHER_HANDLER_INTERFACES = (
  "HTMLMarqueeElement SVGAnimationElement AbortSignal TaskSignal Animation CloseWatcher EditContext FontFaceSet MediaQueryList " +
  "Performance Screen ScreenOrientation ScreenDetails VisualViewport VirtualKeyboard " +
  "WindowControlsOverlay DevicePosture Navigation NavigationHistoryEntry " +
  "PictureInPictureWindow DocumentPictureInPicture OffscreenCanvas TextTrack TextTrackCue " +
  "TextTrackList VTTCue AudioTrackList VideoTrackList Clipboard CaptureController CookieStore " +
  "PermissionStatus NetworkInformation BatteryManager Notification IdleDetector " +
  "WakeLockSentinel Sensor LanguageModel CreateMonitor NavigatorManagedData ApplePaySession " +
  "MessagePort BroadcastChannel ServiceWorker ServiceWorkerContainer ServiceWorkerRegistration " +
  "BackgroundFetchRegistration WebTransport MediaSource ManagedMediaSource SourceBuffer " +
  "ManagedSourceBuffer SourceBufferList MediaStream MediaStreamTrack MediaRecorder " +
  "MediaDevices MediaKeySession WebKitMediaKeySession RemotePlayback BaseAudioContext " +
  "AudioContext OfflineAudioContext AudioScheduledSourceNode AudioWorkletNode " +
  "ScriptProcessorNode AudioDecoder AudioEncoder VideoDecoder VideoEncoder ImageTrack " +
  "RTCPeerConnection RTCDataChannel RTCDTMFSender RTCDtlsTransport RTCIceTransport " +
  "RTCSctpTransport SpeechRecognition SpeechSynthesis SpeechSynthesisUtterance Bluetooth " +
  "BluetoothDevice BluetoothRemoteGATTCharacteristic BluetoothRemoteGATTService HID HIDDevice " +
  "Serial SerialPort USB MIDIAccess MIDIInput MIDIPort PaymentRequest PaymentResponse " +
  "PresentationAvailability PresentationConnection PresentationConnectionList " +
  "PresentationRequest XRSystem XRSession XRReferenceSpace XRLightProbe XRCompositionLayer " +
  "XRCubeLayer XRCylinderLayer XREquirectLayer XRQuadLayer GPUDevice"
).split(" ");
